import { z } from "zod";
import { exactlyOneOf, withRules } from "../rules.js";
import { SecretKeyReference } from "../secret-reference.js";
import { setList } from "../lists.js";
import { HttpUrl, TlsConfig, pageSize } from "./common.js";

export const ScimBearerAuth = z
  .strictObject({
    secretRef: SecretKeyReference.meta({ description: "Secret key holding the bearer token." }),
  })
  .meta({ description: "A static bearer token." });

export const ScimOAuth2ClientCredentials = z
  .strictObject({
    tokenURL: HttpUrl.meta({ description: "The authorization server's token endpoint." }),
    clientID: z.string().min(1).max(256).meta({ description: "OAuth 2.0 client id." }),
    clientSecretRef: SecretKeyReference.meta({ description: "Secret key holding the client secret." }),
    scopes: setList(z.string().min(1).max(256)).optional().meta({ description: "Scopes to request." }),
  })
  .meta({ description: "OAuth 2.0 client credentials grant; tokens are cached until they expire." });

export const ScimAuth = withRules(
  z.strictObject({
    bearer: ScimBearerAuth.optional(),
    oauth2ClientCredentials: ScimOAuth2ClientCredentials.optional(),
  }),
  [exactlyOneOf(["bearer", "oauth2ClientCredentials"])],
).meta({ description: "How Roster authenticates: exactly one of bearer or oauth2ClientCredentials." });
export type ScimAuth = z.infer<typeof ScimAuth>;

/** A SCIM 2.0 service provider (RFC 7643/7644). Accounts are Users (externalId = Roster's marker); roles are Groups. */
export const ScimTargetSpec = z
  .strictObject({
    baseURL: HttpUrl.meta({
      description: "SCIM base URL; /Users and /Groups are below it, e.g. https://app.example.com/scim/v2.",
    }),
    auth: ScimAuth,
    tls: TlsConfig.optional(),
    createGroups: z.boolean().default(false).meta({
      description:
        "Create a Group named by a role when it does not exist. Default: false (the grant reports the missing group).",
    }),
    requestTimeoutSeconds: z
      .int()
      .min(1)
      .max(300)
      .default(30)
      .meta({ description: "Timeout of each HTTP request. Default: 30." }),
    pageSize: pageSize(100),
  })
  .meta({ description: "Connection to a SCIM 2.0 application." });
export type ScimTargetSpec = z.infer<typeof ScimTargetSpec>;
