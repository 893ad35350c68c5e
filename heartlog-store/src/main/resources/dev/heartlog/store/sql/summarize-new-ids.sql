-- Keeps reads by id cheap for those following the store: see heartlog_summarize_new_ids.
SELECT heartlog_summarize_new_ids() AS ranges
