import { lstat } from 'node:fs/promises';

/**
 * A file's state without its contents: type, mode, inode, size, modification and change times in
 * nanoseconds; 'absent' when there is nothing at the path. Any write, chmod, rename or replacement
 * changes the change time, which no user can set back: equal states mean equal contents.
 */
export async function fileState(path: string): Promise<string> {
  try {
    const st = await lstat(path, { bigint: true });
    const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : 'o';
    return `${type} ${st.mode} ${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`;
  } catch {
    return 'absent';
  }
}
