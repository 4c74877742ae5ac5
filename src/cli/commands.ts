/**
 * commands: the registry of `routetrace` subcommands, in the order `routetrace --help` lists them.
 * Each subcommand lives in its own file in this folder and is added here with one line.
 */
import type { Command } from './Command.js';
import { simCommand } from './sim.js';
import { serveCommand } from './serve.js';
import { demoCommand } from './demo.js';
import { resolveCommand } from './resolve.js';
import { timelineCommand } from './timeline.js';
import { importCommand } from './import.js';
import { apiCommand } from './api.js';
import { clustersCommand } from './clusters.js';

export const commands: readonly Command[] = [simCommand, serveCommand, apiCommand, demoCommand, resolveCommand, timelineCommand, clustersCommand, importCommand];
