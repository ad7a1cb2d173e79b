SELECT _commit_version, COUNT(*) AS n_changes
FROM table_changes('orders', 1)
GROUP BY _commit_version
ORDER BY _commit_version;
