SELECT job_name, MAX(result_state) AS last_result, COUNT(*) AS failures_since_success
FROM job_runs
GROUP BY job_name
ORDER BY job_name;
