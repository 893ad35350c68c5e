-- Why heartlog's functions may not run as their owner here, or NULL (R__roles.sql).
SELECT heartlog_roles_problem() AS problem
