SELECT customer_id, email, segment, _change_type, _commit_version
FROM table_changes('customers', 2)
WHERE _change_type <> 'update_preimage'
QUALIFY ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY _commit_version DESC) = 1
ORDER BY customer_id;
