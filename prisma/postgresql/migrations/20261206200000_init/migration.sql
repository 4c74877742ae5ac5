-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Cluster" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" BIGINT NOT NULL,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KubeObject" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uid" TEXT NOT NULL,

    CONSTRAINT "KubeObject_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ObjectVersion" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "objectId" INTEGER NOT NULL,
    "resourceVersion" TEXT NOT NULL,
    "validFrom" BIGINT NOT NULL,
    "validTo" BIGINT,
    "changeTime" BIGINT,
    "endChangeTime" BIGINT,
    "observedTime" BIGINT NOT NULL,
    "body" BYTEA NOT NULL,
    "baseId" INTEGER,

    CONSTRAINT "ObjectVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServicePort" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "versionId" INTEGER NOT NULL,
    "name" TEXT,
    "protocol" TEXT,
    "port" INTEGER NOT NULL,
    "targetPort" TEXT,
    "nodePort" INTEGER,

    CONSTRAINT "ServicePort_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EndpointRow" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "objectId" INTEGER NOT NULL,
    "validFrom" BIGINT NOT NULL,
    "validTo" BIGINT,
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

    CONSTRAINT "EndpointRow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IngressRule" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "versionId" INTEGER NOT NULL,
    "host" TEXT,
    "path" TEXT,
    "pathType" TEXT,
    "serviceName" TEXT,
    "servicePort" INTEGER,
    "servicePortName" TEXT,

    CONSTRAINT "IngressRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LookupKey" (
    "clusterId" INTEGER NOT NULL,
    "term" BIGINT NOT NULL,
    "validFrom" BIGINT NOT NULL,
    "objectId" INTEGER NOT NULL,
    "validTo" BIGINT,

    CONSTRAINT "LookupKey_pkey" PRIMARY KEY ("clusterId","term","validFrom","objectId")
);

-- CreateTable
CREATE TABLE "PendingBackfill" (
    "name" TEXT NOT NULL,

    CONSTRAINT "PendingBackfill_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "WatchGap" (
    "id" SERIAL NOT NULL,
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "fromTime" BIGINT NOT NULL,
    "toTime" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "WatchGap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WatchProgress" (
    "clusterId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "lastObservedAt" BIGINT NOT NULL,

    CONSTRAINT "WatchProgress_pkey" PRIMARY KEY ("clusterId","kind")
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
CREATE INDEX "WatchGap_clusterId_toTime_idx" ON "WatchGap"("clusterId", "toTime");

-- AddForeignKey
ALTER TABLE "KubeObject" ADD CONSTRAINT "KubeObject_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ObjectVersion" ADD CONSTRAINT "ObjectVersion_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ObjectVersion" ADD CONSTRAINT "ObjectVersion_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "KubeObject"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServicePort" ADD CONSTRAINT "ServicePort_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ObjectVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EndpointRow" ADD CONSTRAINT "EndpointRow_objectId_fkey" FOREIGN KEY ("objectId") REFERENCES "KubeObject"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngressRule" ADD CONSTRAINT "IngressRule_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "ObjectVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LookupKey" ADD CONSTRAINT "LookupKey_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WatchGap" ADD CONSTRAINT "WatchGap_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WatchProgress" ADD CONSTRAINT "WatchProgress_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

