ALTER TABLE `appointments` ADD `patient_id` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `patient_email` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `title` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `description` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `duration_minutes` integer;--> statement-breakpoint
ALTER TABLE `appointments` ADD `confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `appointments` ADD `confirmed_by` text;--> statement-breakpoint
ALTER TABLE `appointments` ADD `confirmed_via` text;--> statement-breakpoint
CREATE INDEX `appointments_tenant_patient` ON `appointments` (`tenant_id`,`patient_id`);