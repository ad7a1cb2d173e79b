-- This joins every feature row, including ones from after the label (leakage!).
SELECT l.customer_id, l.label_ts, l.churned, f.feature_ts, f.spend_90d, f.orders_30d
FROM labels l
JOIN customer_features f ON f.customer_id = l.customer_id
ORDER BY l.customer_id, l.label_ts;
