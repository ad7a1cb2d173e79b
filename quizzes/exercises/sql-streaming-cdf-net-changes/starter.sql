SELECT customer_id, email, segment, _change_type, _commit_version
FROM table_changes('customers', 2)
ORDER BY customer_id, _commit_version;
