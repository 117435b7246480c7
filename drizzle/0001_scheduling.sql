CREATE TABLE `schedule_exceptions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`professional_id` text NOT NULL,
	`kind` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`start_minute` integer,
	`end_minute` integer,
	`reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`professional_id`) REFERENCES `professionals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `schedule_exceptions_professional` ON `schedule_exceptions` (`tenant_id`,`professional_id`,`start_date`);--> statement-breakpoint
ALTER TABLE `appointments` ADD `patient_name_search` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `appointments_status_end` ON `appointments` (`status`,`ends_at`);--> statement-breakpoint
ALTER TABLE `professionals` ADD `weekly_schedule` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `services` ADD `professional_ids` text DEFAULT '[]' NOT NULL;