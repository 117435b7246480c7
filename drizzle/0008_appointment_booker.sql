ALTER TABLE `appointments` ADD `booked_by_phone_hash` text;--> statement-breakpoint
CREATE INDEX `appointments_tenant_booker` ON `appointments` (`tenant_id`,`booked_by_phone_hash`);