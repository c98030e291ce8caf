import { addKind, type BackupErrorOptions, BackupKeyError, isKind } from './errors.js';

/**
 * One class per way a key fails. Each keeps the `code` BackupKeyError carried for that failure
 * before the subclasses existed (the codes are documented), so code checks keep working.
 */

/** The key or passphrase does not open the backup: the header key check or the manifest HMAC failed. */
export class BackupKeyWrongError extends BackupKeyError {
  /** The backup the key was tried on, when known. */
  readonly backupId: string | undefined;
  constructor(message: string, options?: BackupErrorOptions & { backupId?: string }) {
    super('BACKUP_KEY_WRONG', message, options);
    this.name = 'BackupKeyWrongError';
    addKind(this, 'BackupKeyWrongError');
    this.backupId = options?.backupId;
  }

  /** True for a BackupKeyWrongError (or a subclass) only, also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyWrongError {
    return isKind(error, 'BackupKeyWrongError');
  }
}

/** The backup (or object) is encrypted but no key was given. */
export class BackupKeyMissingError extends BackupKeyError {
  /** The encrypted backup, when known. */
  readonly backupId: string | undefined;
  constructor(message: string, options?: BackupErrorOptions & { backupId?: string }) {
    super('BACKUP_KEY_MISSING', message, options);
    this.name = 'BackupKeyMissingError';
    addKind(this, 'BackupKeyMissingError');
    this.backupId = options?.backupId;
  }

  /** True for a BackupKeyMissingError (or a subclass) only, also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyMissingError {
    return isKind(error, 'BackupKeyMissingError');
  }
}

/** A raw key (file, environment variable, bytes or master key) is not 32 bytes in raw, hex or base64 form. */
export class BackupKeyMalformedError extends BackupKeyError {
  constructor(message: string, options?: BackupErrorOptions) {
    super('BACKUP_KEY_MALFORMED', message, options);
    this.name = 'BackupKeyMalformedError';
    addKind(this, 'BackupKeyMalformedError');
  }

  /** True for a BackupKeyMalformedError (or a subclass) only, also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyMalformedError {
    return isKind(error, 'BackupKeyMalformedError');
  }
}

/**
 * The key is of another kind than the backup needs: a passphrase for a raw-key backup, a raw key
 * for a passphrase backup, or a derived key made with another KDF or salt.
 */
export class BackupKeyKindMismatchError extends BackupKeyError {
  /** What the backup needs: a `passphrase`, a raw `key`, or the `keySource` instead of a derived key. */
  readonly needs: 'passphrase' | 'key' | 'keySource';
  constructor(
    needs: 'passphrase' | 'key' | 'keySource',
    message: string,
    options?: BackupErrorOptions,
  ) {
    super('BACKUP_KEY_KIND_MISMATCH', message, options);
    this.name = 'BackupKeyKindMismatchError';
    addKind(this, 'BackupKeyKindMismatchError');
    this.needs = needs;
  }

  /** True for a BackupKeyKindMismatchError (or a subclass) only, also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyKindMismatchError {
    return isKind(error, 'BackupKeyKindMismatchError');
  }
}

/** scrypt failed to derive the key from a passphrase (parameters beyond the memory limit). */
export class BackupKeyDerivationError extends BackupKeyError {
  constructor(message: string, options?: BackupErrorOptions) {
    super('BACKUP_KDF_FAILED', message, options);
    this.name = 'BackupKeyDerivationError';
    addKind(this, 'BackupKeyDerivationError');
  }

  /** True for a BackupKeyDerivationError (or a subclass) only, also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyDerivationError {
    return isKind(error, 'BackupKeyDerivationError');
  }
}

/** The key file could not be read. */
export class BackupKeyFileUnreadableError extends BackupKeyError {
  readonly keyFile: string;
  constructor(keyFile: string, message: string, options?: BackupErrorOptions) {
    super('BACKUP_KEY_FILE_UNREADABLE', message, options);
    this.name = 'BackupKeyFileUnreadableError';
    addKind(this, 'BackupKeyFileUnreadableError');
    this.keyFile = keyFile;
  }

  /** True for a BackupKeyFileUnreadableError (or a subclass) only, also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyFileUnreadableError {
    return isKind(error, 'BackupKeyFileUnreadableError');
  }
}

/** The environment variable named as the key source is unset or empty. */
export class BackupKeyEnvMissingError extends BackupKeyError {
  /** The variable's name (never its value). */
  readonly envVar: string;
  constructor(envVar: string, message: string, options?: BackupErrorOptions) {
    super('BACKUP_KEY_ENV_MISSING', message, options);
    this.name = 'BackupKeyEnvMissingError';
    addKind(this, 'BackupKeyEnvMissingError');
    this.envVar = envVar;
  }

  /** True for a BackupKeyEnvMissingError (or a subclass) only, also from a duplicate copy. */
  static override isInstance(error: unknown): error is BackupKeyEnvMissingError {
    return isKind(error, 'BackupKeyEnvMissingError');
  }
}
