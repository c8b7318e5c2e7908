import { IConstruct } from 'constructs';
import { Engine } from '../engine';
import { defaultGlobalDatastoreSuffix, GlobalDatastoreSpec } from '../model/global-datastore';
import { NodeType } from '../node-type';

/** The props of a Global Datastore that mean the same on both faces. */
export interface GlobalDatastoreNamesProps {
  readonly primary: IConstruct & { readonly engine: Engine; readonly nodeType: NodeType };
  readonly globalDatastoreIdSuffix?: string;
  readonly description?: string;
}

/**
 * A Global Datastore's id suffix and description after defaults, and the spec its rules check once
 * the regions are known (secondaries join after construction, so both faces check twice).
 */
export class GlobalDatastoreNames {
  public readonly suffix: string;
  public readonly description: string;

  constructor(scope: IConstruct, private readonly props: GlobalDatastoreNamesProps) {
    this.description = props.description ?? `Global Datastore ${scope.node.path}`;
    this.suffix = props.globalDatastoreIdSuffix ?? defaultGlobalDatastoreSuffix(props.primary.node.id);
  }

  public spec(primaryRegion: string | undefined, secondaryRegions: string[]): GlobalDatastoreSpec {
    const primary = this.props.primary;
    return {
      suffix: this.suffix,
      description: this.description,
      engine: primary.engine.engineName,
      engineVersion: primary.engine.engineVersion,
      nodeType: primary.nodeType.name,
      primaryRegion,
      secondaryRegions,
    };
  }
}
