SELECT g.recipient_name, o.table_name
FROM share_grants g
JOIN share_objects o ON o.share_name = g.share_name
ORDER BY 1, 2;
