INSERT INTO runs VALUES
  ('r8', '/Shared/churn', 'FINISHED', 0.86, TIMESTAMP '2024-06-06 10:00:00'),
  ('r9', '/Shared/ltv', 'FINISHED', 0.66, TIMESTAMP '2024-06-06 12:00:00'),
  ('r10', '/Shared/ltv', 'FAILED', 0.99, TIMESTAMP '2024-06-06 13:00:00');
