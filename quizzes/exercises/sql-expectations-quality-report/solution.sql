SELECT 'adult' AS expectation,
       count_if(coalesce(age >= 18, false)) AS passed_records,
       count_if(NOT coalesce(age >= 18, false)) AS failed_records
FROM silver_customers
UNION ALL
SELECT 'has_customer_id',
       count_if(customer_id IS NOT NULL),
       count_if(customer_id IS NULL)
FROM silver_customers
UNION ALL
SELECT 'valid_email',
       count_if(coalesce(email LIKE '%@%', false)),
       count_if(NOT coalesce(email LIKE '%@%', false))
FROM silver_customers
ORDER BY expectation;
