/**
 * The processes of the TLA+ model as Java threads over the reference implementation: a
 * {@link dev.mmucheck.machine.MachineConfig} (the model's constants), the
 * {@link dev.mmucheck.machine.Machine} it builds (an mm, GPUs, one driver instance per GPU,
 * userptrs, and one thread per invalidator, releaser, reader, lifecycle and GPU), and the
 * {@link dev.mmucheck.machine.PropertyChecker} that evaluates the spec's named properties on it.
 * {@link dev.mmucheck.machine.Models} holds the Java form of the model-check base models.
 */
package dev.mmucheck.machine;
