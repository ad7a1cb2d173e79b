INSERT INTO job_runs VALUES
  ('daily_orders', 5, TIMESTAMP '2024-06-05 02:00:00', 'FAILED'),
  ('hourly_clicks', 12, TIMESTAMP '2024-06-04 11:00:00', 'FAILED'),
  ('weekly_features', 30, TIMESTAMP '2024-06-02 06:00:00', 'SUCCEEDED');
