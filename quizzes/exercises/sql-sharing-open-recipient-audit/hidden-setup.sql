INSERT INTO table_tags VALUES ('main.gold.campaigns', 'pii');
INSERT INTO recipients VALUES ('reseller_q', 'TOKEN', DATE '2025-06-30');
INSERT INTO share_grants VALUES ('c360_share', 'reseller_q');
