CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text,
	`mode` text NOT NULL,
	`key_hash` text NOT NULL,
	`display_prefix` text NOT NULL,
	`last4` text NOT NULL,
	`scopes` text NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`last_used_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_tenant` ON `api_keys` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `appointment_history` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`appointment_id` text NOT NULL,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`changes` text NOT NULL,
	`occurred_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `appointment_history_appointment` ON `appointment_history` (`tenant_id`,`appointment_id`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `appointments` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`professional_id` text NOT NULL,
	`service_type_id` text,
	`patient_name` text NOT NULL,
	`patient_phone_hash` text NOT NULL,
	`patient_phone_encrypted` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`blocks_until` integer NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`patient_notes` text,
	`metadata` text DEFAULT '{}' NOT NULL,
	`cancellation_reason` text,
	`call_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`last_command_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`professional_id`) REFERENCES `professionals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`service_type_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "appointments_interval" CHECK("appointments"."ends_at" > "appointments"."starts_at" AND "appointments"."blocks_until" >= "appointments"."ends_at")
);
--> statement-breakpoint
CREATE INDEX `appointments_professional_start` ON `appointments` (`tenant_id`,`professional_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `appointments_tenant_start` ON `appointments` (`tenant_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `appointments_tenant_phone` ON `appointments` (`tenant_id`,`patient_phone_hash`);--> statement-breakpoint
CREATE INDEX `appointments_tenant_updated` ON `appointments` (`tenant_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`claim` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`response_location` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `professionals` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`specialty` text,
	`email` text,
	`external_id` text,
	`active` integer DEFAULT true NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `professionals_tenant` ON `professionals` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`duration_minutes` integer NOT NULL,
	`buffer_minutes` integer DEFAULT 0 NOT NULL,
	`price_cents` integer,
	`currency` text DEFAULT 'EUR' NOT NULL,
	`external_id` text,
	`active` integer DEFAULT true NOT NULL,
	`deleted_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `services_tenant` ON `services` (`tenant_id`,`name`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`legal_name` text,
	`specialty` text DEFAULT 'other' NOT NULL,
	`status` text DEFAULT 'trial' NOT NULL,
	`nif` text,
	`address` text,
	`postal_code` text,
	`city` text,
	`country` text NOT NULL,
	`email` text,
	`phone` text,
	`public_slug` text,
	`public_booking_enabled` integer DEFAULT false NOT NULL,
	`plan` text DEFAULT 'basic' NOT NULL,
	`trial_ends_at` integer,
	`config` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_public_slug_unique` ON `tenants` (`public_slug`);