CREATE TABLE `callbacks` (
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
	CONSTRAINT "callbacks_status" CHECK("status" IN ('dialing', 'placed', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `callbacks_call` ON `callbacks` (`tenant_id`,`call_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `voice_integrations` ADD `outbound` text;