PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_messages` (
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
	CONSTRAINT "messages_status" CHECK("status" IN ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'skipped', 'unknown'))
);
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "tenant_id", "appointment_id", "kind", "dedupe_key", "status", "attempts", "next_attempt_at", "expires_at", "channel", "provider", "sender_id", "provider_message_id", "phone_hash", "to_masked", "segments", "encoding", "last_error", "created_at", "sent_at", "updated_at") SELECT "id", "tenant_id", "appointment_id", "kind", "dedupe_key", "status", "attempts", "next_attempt_at", "expires_at", "channel", "provider", "sender_id", "provider_message_id", "phone_hash", "to_masked", "segments", "encoding", "last_error", "created_at", "sent_at", "updated_at" FROM `messages`;--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_dedupe` ON `messages` (`tenant_id`,`dedupe_key`);--> statement-breakpoint
CREATE INDEX `messages_due` ON `messages` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `messages_clinic_due` ON `messages` (`status`,`tenant_id`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `messages_tenant_created` ON `messages` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_provider_id` ON `messages` (`sender_id`,`provider_message_id`);--> statement-breakpoint
CREATE INDEX `messages_patient_sent` ON `messages` (`tenant_id`,`phone_hash`,`sent_at`);