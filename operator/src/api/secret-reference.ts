import { z } from "zod";
import { ObjectName } from "./formats.js";

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A key of a Secret data map. */
export const SecretKey = z
  .string()
  .min(1)
  .max(253)
  .regex(SECRET_KEY, { message: "must consist of alphanumerics, '-', '_' or '.'" });

/** One key of a Secret in the referring object's namespace (never another namespace). */
export const SecretKeyReference = z
  .strictObject({
    name: ObjectName.meta({
      description: "Name of the Secret, in the same namespace as the referring object.",
    }),
    key: SecretKey.meta({ description: "Key of the Secret's data that holds the value." }),
  })
  .meta({ description: "A key of a Secret in the same namespace." });
export type SecretKeyReference = z.infer<typeof SecretKeyReference>;

/** A Secret holding a user name and a password under two keys, in the referring object's namespace. */
export const BasicAuthSecretReference = z
  .strictObject({
    name: ObjectName.meta({
      description: "Name of the Secret, in the same namespace as the referring object.",
    }),
    usernameKey: SecretKey.default("username").meta({
      description: "Key of the Secret's data that holds the user name.",
    }),
    passwordKey: SecretKey.default("password").meta({
      description: "Key of the Secret's data that holds the password.",
    }),
  })
  .meta({ description: "A Secret with a user name and a password, in the same namespace." });
export type BasicAuthSecretReference = z.infer<typeof BasicAuthSecretReference>;
