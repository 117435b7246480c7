ALTER TABLE `tenants` ADD `clinic_ref` text;--> statement-breakpoint
-- HAND EDIT: clinics made before this release get a reference (16 hex characters, inside the key
-- body's alphabet), and each sandbox shares its clinic's. Their existing keys keep working on
-- their own store; keys issued from now on carry the reference.
UPDATE `tenants` SET `clinic_ref` = lower(hex(randomblob(8))) WHERE `sandbox_of` IS NULL;--> statement-breakpoint
UPDATE `tenants` SET `clinic_ref` = (SELECT c.`clinic_ref` FROM `tenants` c WHERE c.`id` = `tenants`.`sandbox_of`) WHERE `sandbox_of` IS NOT NULL;
