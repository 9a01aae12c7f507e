/**
 * An operator's request to the leading agent: promote a node (a failover in place of a failed
 * primary, or `pg_ctl promote` while the primary is healthy) or switch over to it. Each is made a
 * plan in the log like an automatic failover (failover-steps.ts), so that it never races one.
 */
import type { AgentContext, OperatorRequest, PlanKind } from './types';
import { eligibleStandbys } from './standby-choice';
import { inProgress, KIND_WORDS, run, traceStepOf, watching, type Step } from './change';
import { planFor, startPlan } from './failover-steps';

/**
 * An operator asks to promote `node` (a failover, or `pg_ctl promote` while the primary is
 * healthy) or to switch over to it. It is done as a plan in the log, so that it never races an
 * automatic failover; refused, with the reason, when it cannot be done now.
 */
export function onOperator(ctx: AgentContext, request: OperatorRequest): Step {
  return run(ctx, (c) => {
    const { action, node } = request;
    const epoch = ctx.highestEpoch + 1;
    const refuse = (why: string) => traceStepOf(c, 'confirm', ctx.primary, node, epoch, false, `refused the operator's ${action} of ${node}: ${why}`);
    if (!watching(ctx)) return refuse(`${ctx.id} does not lead the orchestrators`);
    if (!ctx.databases.includes(node)) return refuse(`${node} is not a database node`);
    const plan = ctx.plan;
    if (inProgress(plan)) return refuse(`a ${KIND_WORDS[plan.kind]} from ${plan.from} to ${plan.to} in epoch ${plan.epoch} is under way (${plan.step})`);
    const primaryReply = ctx.replies[ctx.primary];
    const primaryHealthy = (ctx.failures[ctx.primary] ?? 0) === 0 && primaryReply?.writable === true && primaryReply.role === 'primary';
    if (node === ctx.primary && primaryHealthy) return refuse(`${node} is the primary already`);
    const reply = ctx.replies[node];
    if (reply === undefined || (ctx.failures[node] ?? 0) > 0) return refuse(`${node} does not answer health checks`);
    if (reply.role === 'rebuilding') return refuse(`${node} is being rebuilt from a base backup`);
    let kind: PlanKind;
    if (action === 'switchover') {
      if (!primaryHealthy) return refuse(`${ctx.primary} is not a healthy primary to hand over from (promote ${node} instead)`);
      if (reply.role !== 'standby') return refuse(`${node} is not a standby`);
      kind = 'switchover';
    } else if (primaryHealthy) {
      kind = 'promote';
    } else {
      if (!eligibleStandbys(ctx, ctx.primary).includes(node)) return refuse(`${node} may lack writes that ${ctx.primary} acknowledged (it is not the synchronous standby, or holds less)`);
      kind = 'manual';
    }
    const words = { promote: 'promotion', manual: 'promotion', switchover: 'switchover', auto: 'failover' }[kind];
    traceStepOf(c, 'detect', ctx.primary, node, epoch, true, `an operator asks for the ${words} of ${node}${kind === 'manual' ? ` in place of the failed ${ctx.primary}` : ''}`);
    c.set({ stalled: false });
    startPlan(c, planFor(reply, ctx.primary, node, epoch, kind));
  });
}
