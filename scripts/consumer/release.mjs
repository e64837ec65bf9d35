export async function releaseTest() {
  return 'todo';
}
