CREATE TABLE `callback_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`call_id` text,
	`caller_name` text NOT NULL,
	`phone_hash` text,
	`phone_encrypted` text,
	`reason` text NOT NULL,
	`urgency` text NOT NULL,
	`command_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "callback_requests_urgency" CHECK("urgency" IN ('normal', 'urgent'))
);
--> statement-breakpoint
CREATE INDEX `callback_requests_tenant_created` ON `callback_requests` (`tenant_id`,`created_at`);