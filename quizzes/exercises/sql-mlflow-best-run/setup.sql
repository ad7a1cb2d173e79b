CREATE TABLE runs (run_id STRING, experiment STRING, status STRING, val_auc DOUBLE, start_time TIMESTAMP);
INSERT INTO runs VALUES
  ('r1', '/Shared/churn', 'FINISHED', 0.81, TIMESTAMP '2024-06-01 10:00:00'),
  ('r2', '/Shared/churn', 'FINISHED', 0.84, TIMESTAMP '2024-06-02 10:00:00'),
  ('r3', '/Shared/churn', 'FAILED', 0.91, TIMESTAMP '2024-06-03 10:00:00'),
  ('r4', '/Shared/churn', 'FINISHED', 0.84, TIMESTAMP '2024-06-04 10:00:00'),
  ('r5', '/Shared/upsell', 'FINISHED', 0.70, TIMESTAMP '2024-06-01 11:00:00'),
  ('r6', '/Shared/upsell', 'RUNNING', 0.95, TIMESTAMP '2024-06-05 11:00:00'),
  ('r7', '/Shared/upsell', 'FINISHED', 0.73, TIMESTAMP '2024-06-02 11:00:00');
