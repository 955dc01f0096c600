/** {@code mmu-check}, the command line (Apache Commons CLI): check, export, tlc, explain, diagram, replay, stress, list. */
package dev.mmucheck.cli;
