-- CreateTable
CREATE TABLE "Cluster" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "KubeObject" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT NOT NULL,
    CONSTRAINT "KubeObject_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ObjectVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "objectId" INTEGER NOT NULL,
    "resourceVersion" TEXT NOT NULL,
    "validFrom" DATETIME NOT NULL,
    "validTo" DATETIME,
    "changeTime" DATETIME,
    "endChangeTime" DATETIME,
    "observedTime" DATETIME NOT NULL,
    "body" BLOB NOT NULL,
    CONSTRAINT "ObjectVersion_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ObjectVersion_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "KubeObject" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ServicePort" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "versionId" INTEGER NOT NULL,
    "name" TEXT,
    "protocol" TEXT,
    "port" INTEGER NOT NULL,
    "targetPort" TEXT,
    "nodePort" INTEGER,
    CONSTRAINT "ServicePort_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ObjectVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EndpointRow" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "objectId" INTEGER NOT NULL,
    "validFrom" DATETIME NOT NULL,
    "validTo" DATETIME,
    "serviceName" TEXT,
    "address" TEXT NOT NULL,
    "portName" TEXT,
    "port" INTEGER,
    "protocol" TEXT,
    "ready" BOOLEAN,
    "serving" BOOLEAN,
    "terminating" BOOLEAN,
    "node" TEXT,
    "zone" TEXT,
    "targetKind" TEXT,
    "targetName" TEXT,
    CONSTRAINT "EndpointRow_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "KubeObject" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "IngressRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "versionId" INTEGER NOT NULL,
    "host" TEXT,
    "path" TEXT,
    "pathType" TEXT,
    "serviceName" TEXT,
    "servicePort" INTEGER,
    "servicePortName" TEXT,
    CONSTRAINT "IngressRule_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ObjectVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PodFact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "versionId" INTEGER NOT NULL,
    "podIP" TEXT,
    "hostIP" TEXT,
    "node" TEXT,
    "phase" TEXT,
    "ready" BOOLEAN,
    "labels" TEXT,
    CONSTRAINT "PodFact_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ObjectVersion" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WatchGap" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "fromTime" DATETIME NOT NULL,
    "toTime" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    CONSTRAINT "WatchGap_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WatchProgress" (
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "lastObservedAt" DATETIME NOT NULL,

    PRIMARY KEY ("clusterId", "kind"),
    CONSTRAINT "WatchProgress_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_name_key" ON "Cluster"("name");

-- CreateIndex
CREATE UNIQUE INDEX "KubeObject_clusterId_kind_namespace_name_uid_key" ON "KubeObject"("clusterId", "kind", "namespace", "name", "uid");

-- CreateIndex
CREATE INDEX "ObjectVersion_objectId_validFrom_idx" ON "ObjectVersion"("objectId", "validFrom");

-- CreateIndex
CREATE INDEX "ObjectVersion_clusterId_validTo_idx" ON "ObjectVersion"("clusterId", "validTo");

-- CreateIndex
CREATE INDEX "ServicePort_versionId_idx" ON "ServicePort"("versionId");

-- CreateIndex
CREATE INDEX "EndpointRow_objectId_validTo_idx" ON "EndpointRow"("objectId", "validTo");

-- CreateIndex
CREATE INDEX "EndpointRow_clusterId_serviceName_validFrom_idx" ON "EndpointRow"("clusterId", "serviceName", "validFrom");

-- CreateIndex
CREATE INDEX "IngressRule_versionId_idx" ON "IngressRule"("versionId");

-- CreateIndex
CREATE INDEX "IngressRule_clusterId_host_idx" ON "IngressRule"("clusterId", "host");

-- CreateIndex
CREATE INDEX "IngressRule_clusterId_serviceName_idx" ON "IngressRule"("clusterId", "serviceName");

-- CreateIndex
CREATE INDEX "PodFact_versionId_idx" ON "PodFact"("versionId");

-- CreateIndex
CREATE INDEX "PodFact_clusterId_podIP_idx" ON "PodFact"("clusterId", "podIP");

-- CreateIndex
CREATE INDEX "WatchGap_clusterId_toTime_idx" ON "WatchGap"("clusterId", "toTime");
