SELECT s.customer_id, 'missing_in_lakehouse' AS issue
FROM crm_pg.public.customers s
LEFT JOIN main.bronze.customers b ON b.customer_id = s.customer_id
WHERE b.customer_id IS NULL
ORDER BY s.customer_id;
