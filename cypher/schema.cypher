// graphfraud schema: every statement is idempotent (IF NOT EXISTS).
CREATE CONSTRAINT phone_number IF NOT EXISTS FOR (p:Phone) REQUIRE p.number IS UNIQUE;
CREATE CONSTRAINT call_id IF NOT EXISTS FOR ()-[c:CALLED]-() REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT device_imei IF NOT EXISTS FOR (d:Device) REQUIRE d.imei IS UNIQUE;
CREATE CONSTRAINT cell_id IF NOT EXISTS FOR (c:Cell) REQUIRE c.cell_id IS UNIQUE;
CREATE CONSTRAINT ring_id IF NOT EXISTS FOR (r:Ring) REQUIRE r.ring_id IS UNIQUE;
CREATE CONSTRAINT number_kind_id IF NOT EXISTS FOR (k:NumberKind) REQUIRE k.id IS UNIQUE;
CREATE INDEX phone_tier IF NOT EXISTS FOR (p:Phone) ON (p.tier);
CREATE INDEX phone_risk IF NOT EXISTS FOR (p:Phone) ON (p.risk);
CREATE INDEX ring_risk IF NOT EXISTS FOR (r:Ring) ON (r.risk);
CREATE INDEX called_start IF NOT EXISTS FOR ()-[c:CALLED]-() ON (c.start)
