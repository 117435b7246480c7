PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	CONSTRAINT "webhook_deliveries_status" CHECK("status" IN ('pending', 'delivered', 'failed', 'simulated'))
);
--> statement-breakpoint
INSERT INTO `__new_webhook_deliveries`("id", "tenant_id", "endpoint_id", "event_id", "event_type", "payload", "status", "attempts", "next_attempt_at", "last_status_code", "last_error", "created_at", "delivered_at") SELECT "id", "tenant_id", "endpoint_id", "event_id", "event_type", "payload", "status", "attempts", "next_attempt_at", "last_status_code", "last_error", "created_at", "delivered_at" FROM `webhook_deliveries`;--> statement-breakpoint
DROP TABLE `webhook_deliveries`;--> statement-breakpoint
ALTER TABLE `__new_webhook_deliveries` RENAME TO `webhook_deliveries`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_endpoint` ON `webhook_deliveries` (`tenant_id`,`endpoint_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `sandbox_of` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `legacy_phone_hashes` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `tenants` ADD `phone_rehash_cursor` text;--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_sandbox_of_unique` ON `tenants` (`sandbox_of`);