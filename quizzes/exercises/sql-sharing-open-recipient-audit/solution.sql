SELECT DISTINCT r.recipient_name, o.table_name, r.token_expires
FROM recipients r
JOIN share_grants g ON g.recipient_name = r.recipient_name
JOIN share_objects o ON o.share_name = g.share_name
JOIN table_tags t ON t.table_name = o.table_name
WHERE r.authentication_type = 'TOKEN' AND t.tag = 'pii'
ORDER BY r.recipient_name, o.table_name;
