SELECT l.customer_id, l.label_ts, l.churned, f.feature_ts, f.spend_90d, f.orders_30d
FROM labels l
LEFT JOIN customer_features f
  ON f.customer_id = l.customer_id AND f.feature_ts <= l.label_ts
QUALIFY ROW_NUMBER() OVER (PARTITION BY l.customer_id, l.label_ts ORDER BY f.feature_ts DESC) = 1
ORDER BY l.customer_id, l.label_ts;
