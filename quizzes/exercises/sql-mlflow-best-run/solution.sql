SELECT experiment, run_id, val_auc
FROM runs
WHERE status = 'FINISHED'
QUALIFY ROW_NUMBER() OVER (PARTITION BY experiment ORDER BY val_auc DESC, start_time) = 1
ORDER BY experiment;
