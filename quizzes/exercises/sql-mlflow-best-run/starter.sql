SELECT experiment, MAX(run_id) AS run_id, MAX(val_auc) AS val_auc
FROM runs
GROUP BY experiment
ORDER BY experiment;
