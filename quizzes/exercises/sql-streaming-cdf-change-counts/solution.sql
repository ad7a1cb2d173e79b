SELECT _commit_version, _change_type, COUNT(*) AS n_changes
FROM table_changes('orders', 1)
GROUP BY _commit_version, _change_type
ORDER BY _commit_version, _change_type;
