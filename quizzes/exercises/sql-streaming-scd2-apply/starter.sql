-- 1. Insert new current versions
-- 2. Close the versions they replace

SELECT * FROM dim_customer ORDER BY customer_id, valid_from;
