CREATE TABLE job_runs (job_name STRING, run_id BIGINT, start_time TIMESTAMP, result_state STRING);
INSERT INTO job_runs VALUES
  ('daily_orders', 1, TIMESTAMP '2024-06-01 02:00:00', 'SUCCEEDED'),
  ('daily_orders', 2, TIMESTAMP '2024-06-02 02:00:00', 'FAILED'),
  ('daily_orders', 3, TIMESTAMP '2024-06-03 02:00:00', 'FAILED'),
  ('daily_orders', 4, TIMESTAMP '2024-06-04 02:00:00', 'CANCELLED'),
  ('hourly_clicks', 10, TIMESTAMP '2024-06-04 09:00:00', 'FAILED'),
  ('hourly_clicks', 11, TIMESTAMP '2024-06-04 10:00:00', 'SUCCEEDED'),
  ('gdpr_erasure', 20, TIMESTAMP '2024-06-01 05:00:00', 'FAILED'),
  ('gdpr_erasure', 21, TIMESTAMP '2024-06-02 05:00:00', 'FAILED');
