package dev.mmucheck.modelcheck;

import java.nio.file.Path;
import java.util.Optional;

import dev.mmucheck.tlc.TlcOptions;

/**
 * One TLC run to make: a model of the manifest, or any configuration file given by its path.
 *
 * @param name the run's name: its folder under build/tlc/ and its trace's file name
 * @param cfg the configuration TLC reads (for --invariant, one derived from the model's, under build/tlc/)
 * @param config the configuration as people know it: repository-relative for the manifest's, else absolute
 * @param entry the manifest's entry, when the configuration is one of model-check/models/
 * @param expect the outcome to hold TLC's against: "pass" or a property; empty when nothing says
 * @param liveness the configuration's SPECIFICATION is FairSpec
 * @param mutation the configuration's Mutation constant, unquoted ("none" when it sets none)
 * @param options TLC's own options, passed through
 * @param only the property checked alone (--invariant), if any
 */
public record ModelRun(String name, Path cfg, String config, Optional<ModelEntry> entry, Optional<String> expect,
                       boolean liveness, String mutation, TlcOptions options, Optional<String> only) {

    /** Whether TLC's figures can be held against the manifest's: the manifest's own configuration, searched exhaustively, whole. */
    public boolean comparable() {
        return entry.isPresent() && options.exhaustive() && only.isEmpty();
    }
}
