// Which SIM used which handset (IMEI): the shared-device evidence.
UNWIND $rows AS row
MATCH (p:Phone {number: row.number})
MERGE (d:Device {imei: row.imei})
MERGE (p)-[:USED_DEVICE]->(d)
