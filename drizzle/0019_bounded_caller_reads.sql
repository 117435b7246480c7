DROP INDEX `appointments_tenant_phone`;--> statement-breakpoint
CREATE INDEX `appointments_tenant_phone` ON `appointments` (`tenant_id`,`patient_phone_hash`,`created_at`);--> statement-breakpoint
CREATE INDEX `schedule_exceptions_tenant_end` ON `schedule_exceptions` (`tenant_id`,`end_date`);