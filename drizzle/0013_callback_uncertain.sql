PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_callbacks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`call_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`platform` text NOT NULL,
	`status` text NOT NULL,
	`external_call_id` text,
	`failure` text,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "callbacks_platform" CHECK("platform" IN ('vapi', 'retell', 'elevenlabs', 'openai', 'telnyx', 'twilio')),
	CONSTRAINT "callbacks_status" CHECK("status" IN ('dialing', 'placed', 'failed', 'uncertain'))
);
--> statement-breakpoint
INSERT INTO `__new_callbacks`("id", "tenant_id", "call_id", "integration_id", "platform", "status", "external_call_id", "failure", "actor", "created_at", "updated_at") SELECT "id", "tenant_id", "call_id", "integration_id", "platform", "status", "external_call_id", "failure", "actor", "created_at", "updated_at" FROM `callbacks`;--> statement-breakpoint
DROP TABLE `callbacks`;--> statement-breakpoint
ALTER TABLE `__new_callbacks` RENAME TO `callbacks`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `callbacks_call` ON `callbacks` (`tenant_id`,`call_id`,`created_at`);