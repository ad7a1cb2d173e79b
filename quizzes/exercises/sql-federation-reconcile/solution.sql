SELECT COALESCE(s.customer_id, b.customer_id) AS customer_id,
       CASE WHEN b.customer_id IS NULL THEN 'missing_in_lakehouse'
            WHEN s.customer_id IS NULL THEN 'missing_in_source'
            ELSE 'email_mismatch'
       END AS issue
FROM crm_pg.public.customers s
FULL OUTER JOIN main.bronze.customers b ON b.customer_id = s.customer_id
WHERE b.customer_id IS NULL OR s.customer_id IS NULL OR s.email <> b.email
ORDER BY customer_id;
