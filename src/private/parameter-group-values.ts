import { ClusterMode } from '../cluster-mode';
import { Engine } from '../engine';
import { parameterGroupProperties, parameterValueOf, resolveParameterGroupFamily, validateParameterGroupValues } from '../model/parameters';
import { RuleContext, Violation } from '../model/violation';

/** The props of a new parameter group that mean the same on both faces. */
export interface ParameterGroupValuesProps {
  readonly engine?: Engine;
  readonly family?: string;
  readonly clusterMode?: ClusterMode;
  readonly parameters?: { [name: string]: string };
}

/**
 * The family, cluster mode and values of a parameter group created by either face: resolved and
 * checked alike, each face only supplying its rule context and how it reports.
 */
export class ParameterGroupValues {
  public readonly family: string;
  public readonly clusterMode: ClusterMode;
  /** `cluster-enabled yes`: ENABLED and COMPATIBLE both set it. */
  public readonly clusterEnabled: boolean;
  private readonly engineVersion?: string;
  private readonly values: { [name: string]: string } = {};

  /**
   * Resolves the family, checks the parameters and reports the problems (with `otherProblems`, found by the face).
   */
  constructor(
    props: ParameterGroupValuesProps,
    private readonly ctx: RuleContext,
    private readonly report: (problems: Violation[]) => void,
    otherProblems: Violation[] = [],
  ) {
    const { family, problems } = resolveParameterGroupFamily({ engine: props.engine, family: props.family }, ctx);
    problems.push(...otherProblems);
    this.family = family;
    this.engineVersion = props.engine?.engineVersion;
    this.clusterMode = props.clusterMode ?? ClusterMode.DISABLED;
    this.clusterEnabled = this.clusterMode !== ClusterMode.DISABLED;
    const parameters = props.parameters ?? {};
    // Check the parameters only against a family we know, so one mistake does not hide behind another.
    if (problems.every((v) => v.severity !== 'error')) {
      problems.push(...this.check(parameters));
    }
    report(problems);
    Object.assign(this.values, parameters);
  }

  /** Checks and sets one parameter; a later value replaces an earlier one. */
  public add(name: string, value: string): void {
    this.report(this.check({ [name]: value }));
    this.values[name] = value;
  }

  /** The value set, else the family's default; undefined when not known. */
  public valueOf(name: string): string | undefined {
    return parameterValueOf(this.family, this.clusterEnabled, this.values, name, this.ctx);
  }

  /** The parameters the group is created with (`cluster-enabled` included when on). */
  public properties(): { [name: string]: string } {
    return parameterGroupProperties(this.clusterEnabled, this.values);
  }

  private check(parameters: { [name: string]: string }): Violation[] {
    return validateParameterGroupValues(this.family, this.clusterEnabled, this.engineVersion, parameters, this.ctx);
  }
}
