-- HAND EDIT (custom migration): a professional's exceptions (days off, extra hours) count as the
-- clinic's catalogue, like the weekly hours on its professionals row, so availability may keep them
-- with the catalogue they were read under (src/db/schedule.ts). Same triggers as 0020's; a later
-- rebuild of schedule_exceptions must create them again (test/unit/clinic-versions.test.ts).
CREATE TRIGGER `schedule_exceptions_versions_insert` AFTER INSERT ON `schedule_exceptions` BEGIN
  INSERT INTO clinic_versions (tenant_id, catalog) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET catalog = catalog + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `schedule_exceptions_versions_update` AFTER UPDATE ON `schedule_exceptions` BEGIN
  INSERT INTO clinic_versions (tenant_id, catalog) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET catalog = catalog + 1;
  INSERT INTO clinic_versions (tenant_id, catalog) SELECT OLD.tenant_id, 1 WHERE OLD.tenant_id IS NOT NEW.tenant_id
    ON CONFLICT (tenant_id) DO UPDATE SET catalog = catalog + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `schedule_exceptions_versions_delete` AFTER DELETE ON `schedule_exceptions` BEGIN
  INSERT INTO clinic_versions (tenant_id, catalog) VALUES (OLD.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET catalog = catalog + 1;
END;
