-- Version bodies may be deltas from the previous version of their object (src/history/bodyCodec.ts):
-- baseId names the keyframe a delta chain starts from; bodies stored before stay keyframes (baseId null).
-- PodFact was written for every Pod version but read by nothing (Pod lookups use LookupKey terms and
-- the version bodies), so it goes.
-- AlterTable
ALTER TABLE "ObjectVersion" ADD COLUMN "baseId" INTEGER;

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "PodFact";
PRAGMA foreign_keys=on;
