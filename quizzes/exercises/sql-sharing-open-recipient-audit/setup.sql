CREATE TABLE recipients (recipient_name STRING, authentication_type STRING, token_expires DATE);
INSERT INTO recipients VALUES
  ('acme_d2d', 'DATABRICKS', NULL),
  ('partner_y', 'TOKEN', DATE '2025-01-31'),
  ('agency_z', 'TOKEN', DATE '2024-12-01');
CREATE TABLE share_grants (share_name STRING, recipient_name STRING);
INSERT INTO share_grants VALUES
  ('c360_share', 'acme_d2d'), ('c360_share', 'partner_y'),
  ('marketing_share', 'partner_y'), ('marketing_share', 'agency_z');
CREATE TABLE share_objects (share_name STRING, table_name STRING);
INSERT INTO share_objects VALUES
  ('c360_share', 'main.gold.customer_summary'), ('c360_share', 'main.gold.customers'),
  ('marketing_share', 'main.gold.campaigns'), ('marketing_share', 'main.gold.customers');
CREATE TABLE table_tags (table_name STRING, tag STRING);
INSERT INTO table_tags VALUES
  ('main.gold.customers', 'pii'), ('main.gold.customers', 'gold'),
  ('main.gold.customer_summary', 'gold'), ('main.gold.campaigns', 'marketing');
