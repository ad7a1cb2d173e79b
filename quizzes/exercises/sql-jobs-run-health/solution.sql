WITH latest AS (
  SELECT job_name, result_state AS last_result
  FROM job_runs
  QUALIFY ROW_NUMBER() OVER (PARTITION BY job_name ORDER BY start_time DESC) = 1
),
last_ok AS (
  SELECT job_name, MAX(CASE WHEN result_state = 'SUCCEEDED' THEN start_time END) AS ok_time
  FROM job_runs
  GROUP BY job_name
)
SELECT l.job_name,
       l.last_result,
       count_if(r.result_state = 'FAILED' AND (o.ok_time IS NULL OR r.start_time > o.ok_time)) AS failures_since_success
FROM latest l
JOIN last_ok o ON o.job_name = l.job_name
JOIN job_runs r ON r.job_name = l.job_name
GROUP BY l.job_name, l.last_result
ORDER BY l.job_name;
