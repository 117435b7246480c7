CREATE TABLE `message_consent` (
	`tenant_id` text NOT NULL,
	`phone_hash` text NOT NULL,
	`opted_out` integer NOT NULL,
	`keyword` text NOT NULL,
	`changed_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `phone_hash`)
);
--> statement-breakpoint
CREATE TABLE `message_senders` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`channel` text NOT NULL,
	`provider` text NOT NULL,
	`from_number` text NOT NULL,
	`credentials_encrypted` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "message_senders_channel_word" CHECK("channel" IN ('sms', 'whatsapp')),
	CONSTRAINT "message_senders_provider" CHECK("provider" IN ('twilio', 'telnyx'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_senders_channel` ON `message_senders` (`tenant_id`,`channel`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`appointment_id` text NOT NULL,
	`kind` text NOT NULL,
	`dedupe_key` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`expires_at` integer,
	`channel` text,
	`provider` text,
	`sender_id` text,
	`provider_message_id` text,
	`phone_hash` text,
	`to_masked` text,
	`segments` integer,
	`encoding` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`updated_at` integer NOT NULL,
	CONSTRAINT "messages_kind" CHECK("kind" IN ('confirmation', 'cancellation', 'reschedule', 'reminder')),
	CONSTRAINT "messages_status" CHECK("status" IN ('queued', 'sent', 'delivered', 'undelivered', 'failed', 'skipped'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_dedupe` ON `messages` (`tenant_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `messages_due` ON `messages` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `messages_tenant_created` ON `messages` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_provider_id` ON `messages` (`sender_id`,`provider_message_id`);--> statement-breakpoint
CREATE TABLE `messaging_settings` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
