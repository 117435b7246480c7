CREATE TABLE `call_events` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`call_id` text NOT NULL,
	`event_type` text NOT NULL,
	`role` text,
	`transcript` text,
	`tool_name` text,
	`tool_input` text,
	`tool_output` text,
	`occurred_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `call_events_call` ON `call_events` (`tenant_id`,`call_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `calls` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`platform` text NOT NULL,
	`external_call_id` text NOT NULL,
	`from_number_encrypted` text,
	`from_number_hash` text,
	`to_number` text,
	`status` text NOT NULL,
	`outcome` text,
	`ended_reason` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`duration_seconds` integer,
	`transcription_word_count` integer,
	`recording_url` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calls_external` ON `calls` (`integration_id`,`external_call_id`);--> statement-breakpoint
CREATE INDEX `calls_tenant_started` ON `calls` (`tenant_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `voice_integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`platform` text NOT NULL,
	`name` text,
	`credentials_encrypted` text NOT NULL,
	`phone_numbers` text DEFAULT '[]' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `voice_integrations_tenant` ON `voice_integrations` (`tenant_id`);