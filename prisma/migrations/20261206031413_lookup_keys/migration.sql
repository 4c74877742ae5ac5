-- CreateTable (WITHOUT ROWID: the primary key is the only b-tree, so each row is stored once)
CREATE TABLE "LookupKey" (
    "clusterId" INTEGER NOT NULL,
    "term" BIGINT NOT NULL,
    "validFrom" DATETIME NOT NULL,
    "objectId" INTEGER NOT NULL,
    "validTo" DATETIME,

    PRIMARY KEY ("clusterId", "term", "validFrom", "objectId"),
    CONSTRAINT "LookupKey_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "PendingBackfill" (
    "name" TEXT NOT NULL PRIMARY KEY
);

-- The lookup terms of the versions stored before this migration are written by routetrace at start-up.
INSERT INTO "PendingBackfill" ("name") VALUES ('LookupKey');
