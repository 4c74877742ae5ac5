-- Service selector entries are lookup terms now (src/resolver/lookupTerms.ts: reverse lookups find the
-- Services that select a Pod by them). No schema change: the terms of every stored version are written
-- again by routetrace at start-up (src/history/runBackfills.ts).
DELETE FROM "LookupKey";
INSERT OR IGNORE INTO "PendingBackfill" ("name") VALUES ('LookupKey');
